/*
** oom_inject.h: allocation failures on demand, for tests linked with
** -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc (OOM_INJECT_LINK_OPTIONS in
** the test's CMakeLists): every allocation of the program goes through the wrappers in
** oom_inject.c. oom_arm(n) fails exactly the n-th allocation from now (n = 0: the next one), so a
** test that arms n = 0, 1, 2, ... until an operation completes without reaching it fails every
** allocation site of the operation once. The counter is atomic: another thread (a writer the
** test started) may allocate while it is armed.
*/
#ifndef TOKENSIM_TEST_OOM_INJECT_H
#define TOKENSIM_TEST_OOM_INJECT_H

/* Fails the n-th allocation from now (n >= 0). */
void oom_arm(long n);
/* Disarms; 1 when the armed failure was reached. */
int oom_disarm(void);

#endif
