/*
** sweep_mpi.h: the MPI side of `tokensim sweep` (Open MPI; build flag TOKENSIM_MPI).
**
** Under mpirun every rank runs the same command: the run list is split round-robin by run index
** (rank r runs the indices i with i mod size == r), each rank writes its runs as shards next to
** the output database, and rank 0 merges them in index order after a barrier. Rank 0 alone opens
** the database; the other ranks learn what to skip (--resume) by broadcast. Without the build
** flag, or outside mpirun (no OMPI_COMM_WORLD_SIZE / PMI_SIZE in the environment), these calls
** describe a single process: rank 0 of 1.
*/
#ifndef TOKENSIM_SWEEP_MPI_H
#define TOKENSIM_SWEEP_MPI_H

#include <stddef.h>

/* Starts MPI when this process was launched by mpirun (and the build has MPI); *rank and *size
** describe the world (0 and 1 otherwise). Returns 1 when MPI is active, 0 when not, -1 on
** failure. */
int sweep_mpi_init(int *rank, int *size);

/* Broadcasts n bytes from rank 0 (no-op without MPI). Returns 0 or -1. */
int sweep_mpi_bcast(void *buf, size_t n);

/* Waits for every rank (no-op without MPI). */
void sweep_mpi_barrier(void);

/* Ends MPI when sweep_mpi_init started it. */
void sweep_mpi_finalize(void);

#endif
