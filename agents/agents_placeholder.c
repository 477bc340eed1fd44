/* placeholder */
int tsagents_placeholder(void);
int tsagents_placeholder(void)
{
    return 0;
}
