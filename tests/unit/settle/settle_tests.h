/* settle_tests.h: the suites of check_settle (one file per settlement module). */
#ifndef SETTLE_TESTS_H
#define SETTLE_TESTS_H

#include <check.h>

Suite *suite_settle(void);
Suite *suite_aigen(void);
Suite *suite_cflow(void);
Suite *suite_basefee(void);

#endif
