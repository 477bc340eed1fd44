/* placeholder */
int tsscenario_placeholder(void);
int tsscenario_placeholder(void)
{
    return 0;
}
