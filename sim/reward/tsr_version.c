/* Placeholder until the reward core lands. */
int tsr_version_number(void);
int tsr_version_number(void)
{
    return 0;
}
