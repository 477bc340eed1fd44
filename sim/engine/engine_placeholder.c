/* placeholder */
int tsengine_placeholder(void);
int tsengine_placeholder(void)
{
    return 0;
}
