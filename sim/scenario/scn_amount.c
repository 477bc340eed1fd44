/*
** scn_amount.c: exact decimal token amounts <-> u64 base units (1 token = 10^9 units).
**
** No floating point anywhere: the whole part and up to nine fractional digits are accumulated
** as integers with overflow checks, so "18446744073.709551615" is exactly UINT64_MAX units and
** one more unit is an overflow. Syntax is deliberately narrow (DIGITS or DIGITS.DIGITS): a
** scenario's money must never depend on how a parser guesses at "1e3" or " 5".
** Cost: O(length of the string).
*/
#include <string.h>

#include "scn_int.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks DIGITS[.DIGITS]; stores the number of fractional digits. */
static int amount_syntax(const char *s, size_t *whole_len, size_t *frac_len)
{
    size_t i = 0;
    while (is_digit(s[i]))
        i++;
    if (i == 0)
        return -1;
    *whole_len = i;
    *frac_len = 0;
    if (s[i] == '\0')
        return 0;
    if (s[i] != '.')
        return -1;
    size_t j = i + 1;
    while (is_digit(s[j]))
        j++;
    if (j == i + 1 || s[j] != '\0')
        return -1;
    *frac_len = j - i - 1;
    return 0;
}

/* acc = acc * 10 + digit, or -1 on overflow. */
static int push_digit(uint64_t *acc, char c)
{
    uint64_t d = (uint64_t)(c - '0');
    if (*acc > (UINT64_MAX - d) / 10)
        return -1;
    *acc = *acc * 10 + d;
    return 0;
}

int scn_amount_parse(const char *s, uint64_t *units)
{
    size_t whole_len, frac_len;
    if (!s)
        return SCN_AMOUNT_JUNK;
    if (s[0] == '-')
        return amount_syntax(s + 1, &whole_len, &frac_len) == 0 ? SCN_AMOUNT_NEGATIVE
                                                                : SCN_AMOUNT_JUNK;
    if (amount_syntax(s, &whole_len, &frac_len) != 0)
        return SCN_AMOUNT_JUNK;
    if (frac_len > 9)
        return SCN_AMOUNT_PRECISION;
    /* All digits, fraction padded to nine places, form the unit count directly. */
    uint64_t acc = 0;
    for (size_t i = 0; i < whole_len; i++)
        if (push_digit(&acc, s[i]) != 0)
            return SCN_AMOUNT_OVERFLOW;
    for (size_t i = 0; i < 9; i++)
        if (push_digit(&acc, i < frac_len ? s[whole_len + 1 + i] : '0') != 0)
            return SCN_AMOUNT_OVERFLOW;
    if (units)
        *units = acc;
    return SCN_AMOUNT_OK;
}

const char *scn_amount_strerror(int rc)
{
    switch (rc) {
    case SCN_AMOUNT_OK:
        return "ok";
    case SCN_AMOUNT_NEGATIVE:
        return "token amount must not be negative";
    case SCN_AMOUNT_PRECISION:
        return "precision finer than 1e-9 token";
    case SCN_AMOUNT_OVERFLOW:
        return "token amount too large (at most 18446744073.709551615)";
    default:
        return "not a token amount (expected digits with an optional decimal point, "
               "e.g. \"1000\" or \"0.5\")";
    }
}

void scn_amount_format(uint64_t units, char out[SCN_AMOUNT_BUFLEN])
{
    uint64_t whole = units / SCN_UNITS_PER_TOKEN, frac = units % SCN_UNITS_PER_TOKEN;
    int n = snprintf(out, SCN_AMOUNT_BUFLEN, "%llu", (unsigned long long)whole);
    if (frac == 0 || n < 0)
        return;
    char digits[10];
    snprintf(digits, sizeof digits, "%09llu", (unsigned long long)frac);
    size_t keep = 9;
    while (keep > 0 && digits[keep - 1] == '0')
        keep--;
    snprintf(out + n, SCN_AMOUNT_BUFLEN - (size_t)n, ".%.*s", (int)keep, digits);
}
