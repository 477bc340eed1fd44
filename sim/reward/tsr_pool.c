/* tsr_pool.c: the subnet pool's price, swap, fee and quotes (tsr_pool.h).
 *
 * The sale and the root claim are one computation (a root claim is a sale without the fee), as
 * are the registration buy and the chain buy (a buy without the fee, from given reserves): the
 * two static helpers below hold them, so the rounding of each operation is written once.
 */
#include "tsr_pool.h"
#include "tsr_err.h"
#include "tsr_int.h"

tsr_u64f64 tsr_pool_price(uint64_t tao_reserve, uint64_t alpha_reserve)
{
    /* safe_div gives 0 for alpha_reserve == 0 (and for an overflowing quotient, which cannot
     * happen: y / x <= y < 2^64 for x >= 1, inside the U64F64 range). */
    return tsr_u64f64_safe_div(tsr_u64f64_from_u64(tao_reserve),
                               tsr_u64f64_from_u64(alpha_reserve));
}

void tsr_pool_set_price(tsr_subnet *s)
{
    s->price = tsr_pool_price(s->subnet_tao, s->alpha_in);
}

uint64_t tsr_pool_swap_out(uint64_t in_reserve, uint64_t out_reserve, uint64_t in)
{
    tsr_u128 num = tsr_u128_mul64(out_reserve, in), q, r;
    tsr_u128 den = tsr_u128_add(tsr_u128_from_u64(in_reserve), tsr_u128_from_u64(in));
    if (tsr_u128_divmod(num, den, &q, &r) != TSR_OK) /* den == 0 */
        return 0;
    return q.lo; /* in <= den, so q <= out_reserve: fits */
}

uint64_t tsr_pool_fee(uint64_t x)
{
    /* x = 65535 k + m: floor(33 x / 65535) = 33 k + floor(33 m / 65535), and 33 m < 2^64. */
    return x / TSR_POOL_FEE_DENOM * TSR_POOL_FEE_RATE +
           (x % TSR_POOL_FEE_DENOM) * TSR_POOL_FEE_RATE / TSR_POOL_FEE_DENOM;
}

/* A sale of amount alpha with the given fee (0 or tsr_pool_fee(amount)). */
static int sale(const tsr_subnet *s, uint64_t amount, uint64_t fee, tsr_pool_sale *out)
{
    if (!s || !out)
        return TSR_EINVAL;
    uint64_t x = s->alpha_in, y = s->subnet_tao;
    if (amount > UINT64_MAX - x)
        return TSR_EOVERFLOW;
    uint64_t net = amount - fee;
    uint64_t dy = tsr_pool_swap_out(x, y, net);
    /* dy <= y, and dyf <= y - dy: neither subtraction wraps */
    uint64_t dyf = fee ? tsr_pool_swap_out(x + net, y - dy, fee) : 0;
    out->fee = fee;
    out->net = net;
    out->tao_out = dy;
    out->fee_tao = dyf;
    out->refused = amount == 0 || y - dy - dyf < TSR_POOL_MIN_RESERVE;
    return TSR_OK;
}

int tsr_pool_sale_quote(const tsr_subnet *s, uint64_t amount, tsr_pool_sale *out)
{
    return sale(s, amount, tsr_pool_fee(amount), out);
}

bool tsr_pool_sale_below_min_stake(const tsr_pool_sale *q, uint64_t amount, uint64_t position)
{
    return q && amount < position && q->tao_out < TSR_POOL_MIN_STAKE;
}

int tsr_pool_root_claim_quote(const tsr_subnet *s, uint64_t amount, tsr_pool_sale *out)
{
    return sale(s, amount, 0, out);
}

/* A buy with tao TAO and the given fee from reserves (tao_reserve, alpha_reserve). */
static int buy(uint64_t tao_reserve, uint64_t alpha_reserve, uint64_t tao, uint64_t fee,
               tsr_pool_buy *out)
{
    out->fee = fee;
    out->net = tao - fee;
    out->alpha_out = tsr_pool_swap_out(tao_reserve, alpha_reserve, out->net);
    return TSR_OK;
}

int tsr_pool_buy_quote(const tsr_subnet *s, uint64_t tao, tsr_pool_buy *out)
{
    if (!s || !out)
        return TSR_EINVAL;
    if (tao > UINT64_MAX - s->subnet_tao)
        return TSR_EOVERFLOW;
    return buy(s->subnet_tao, s->alpha_in, tao, tsr_pool_fee(tao), out);
}

int tsr_pool_chain_buy_quote(const tsr_subnet *s, uint64_t tao, uint64_t tao_injected,
                             uint64_t alpha_injected, tsr_pool_buy *out)
{
    if (!s || !out || tao_injected > s->subnet_tao || alpha_injected > s->alpha_in)
        return TSR_EINVAL;
    if (tao > UINT64_MAX - s->subnet_tao)
        return TSR_EOVERFLOW;
    return buy(s->subnet_tao - tao_injected, s->alpha_in - alpha_injected, tao, 0, out);
}
