#include <stdio.h>
int main(void)
{
    puts("tokensim");
    return 0;
}
