/* placeholder */
int tsstore_placeholder(void);
int tsstore_placeholder(void)
{
    return 0;
}
