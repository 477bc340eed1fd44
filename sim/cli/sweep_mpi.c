/*
** sweep_mpi.c: thin wrappers over MPI_Init / MPI_Bcast / MPI_Barrier (sweep_mpi.h), or the
** single-process stand-ins when the build has no MPI. No state beyond MPI's own.
*/
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdlib.h>

#include "sweep_mpi.h"

#ifdef TOKENSIM_MPI
#include <mpi.h>

static int launched_by_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

int sweep_mpi_init(int *rank, int *size)
{
    *rank = 0;
    *size = 1;
    if (!launched_by_mpirun())
        return 0;
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 1;
}

int sweep_mpi_bcast(void *buf, size_t n)
{
    int on = 0;
    MPI_Initialized(&on);
    if (!on)
        return 0;
    for (size_t off = 0; off < n;) { /* MPI counts are int */
        int chunk = n - off > INT_MAX ? INT_MAX : (int)(n - off);
        if (MPI_Bcast((char *)buf + off, chunk, MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
        off += (size_t)chunk;
    }
    return 0;
}

void sweep_mpi_barrier(void)
{
    int on = 0;
    MPI_Initialized(&on);
    if (on)
        MPI_Barrier(MPI_COMM_WORLD);
}

void sweep_mpi_finalize(void)
{
    int on = 0, off = 0;
    MPI_Initialized(&on);
    MPI_Finalized(&off);
    if (on && !off)
        MPI_Finalize();
}

#else

int sweep_mpi_init(int *rank, int *size)
{
    *rank = 0;
    *size = 1;
    return 0;
}

int sweep_mpi_bcast(void *buf, size_t n)
{
    (void)buf;
    (void)n;
    return 0;
}

void sweep_mpi_barrier(void) {}

void sweep_mpi_finalize(void) {}

#endif
