/*
** sweep_sens.c: Sobol (Saltelli 2010 / Jansen) and Morris estimators (sweep_sens.h).
**
** Means and variances use Welford's updates so that long sweeps do not lose precision in a
** difference of large sums. Everything is O(k) per block or trajectory, O(k) memory.
*/
#include <math.h>
#include <string.h>

#include "sweep_sens.h"

void sweep_sobol_init(sweep_sobol_acc *a, size_t k)
{
    memset(a, 0, sizeof *a);
    a->k = k;
}

static void welford(uint64_t *n, double *mean, double *m2, double x)
{
    (*n)++;
    double d = x - *mean;
    *mean += d / (double)*n;
    *m2 += d * (x - *mean);
}

void sweep_sobol_add(sweep_sobol_acc *a, const double *y)
{
    welford(&a->nv, &a->mean, &a->m2, y[0]);
    welford(&a->nv, &a->mean, &a->m2, y[1]);
    for (size_t i = 0; i < a->k; i++) {
        double dab = y[2 + i] - y[0];
        a->s1sum[i] += y[1] * dab;
        a->stsum[i] += dab * dab;
    }
    a->n++;
}

int sweep_sobol_result(const sweep_sobol_acc *a, double *s1, double *st)
{
    double v = a->nv ? a->m2 / (double)a->nv : 0.0;
    if (a->n < 2 || !(v > 0.0))
        return -1;
    for (size_t i = 0; i < a->k; i++) {
        s1[i] = a->s1sum[i] / (double)a->n / v;
        st[i] = a->stsum[i] / (2.0 * (double)a->n) / v;
    }
    return 0;
}

void sweep_morris_init(sweep_morris_acc *a, size_t k)
{
    memset(a, 0, sizeof *a);
    a->k = k;
}

void sweep_morris_add(sweep_morris_acc *a, const double *unit, const double *y)
{
    size_t k = a->k;
    for (size_t s = 0; s < k; s++) {
        const double *x0 = unit + s * k, *x1 = x0 + k;
        for (size_t i = 0; i < k; i++) {
            double dx = x1[i] - x0[i];
            if (dx == 0.0)
                continue;
            double ee = (y[s + 1] - y[s]) / dx;
            welford(&a->n[i], &a->mean[i], &a->m2[i], ee);
            a->abssum[i] += fabs(ee);
            break; /* one coordinate per step */
        }
    }
}

int sweep_morris_result(const sweep_morris_acc *a, size_t i, double *mu_star, double *sigma)
{
    if (i >= a->k || a->n[i] == 0)
        return -1;
    *mu_star = a->abssum[i] / (double)a->n[i];
    *sigma = a->n[i] > 1 ? sqrt(a->m2[i] / (double)(a->n[i] - 1)) : (double)NAN;
    return 0;
}
