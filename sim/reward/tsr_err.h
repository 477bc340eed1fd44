/* tsr_err.h: status codes of the reward core.
 *
 * Every fallible tsr_ function returns an int: TSR_OK (0) on success, a negative TSR_E* code
 * otherwise, and changes nothing it was asked to change when it fails (outputs excepted, which
 * are unspecified on failure unless the function says otherwise). One X-macro list generates the
 * enum and tsr_strerror(), so a code and its text cannot drift apart (libuv UV_ERRNO_MAP style).
 */
#ifndef TSR_ERR_H
#define TSR_ERR_H

/* X(name, value, message) */
#define TSR_ERRNO_MAP(X)                                                                           \
    X(OK, 0, "success")                                                                            \
    X(EINVAL, -1, "invalid argument")                                                              \
    X(EOVERFLOW, -2, "arithmetic overflow")                                                        \
    X(EDIVZERO, -3, "division by zero")                                                            \
    X(EFUNDS, -4, "insufficient balance")                                                          \
    X(ENOMEM, -5, "out of memory")                                                                 \
    X(ECAPACITY, -6, "caller-provided buffer too small")                                           \
    X(ERANGE, -7, "value out of range")                                                            \
    X(ECORRUPT, -8, "invariant violated")

enum tsr_status {
#define TSR__ENUM(name, value, msg) TSR_##name = (value),
    TSR_ERRNO_MAP(TSR__ENUM)
#undef TSR__ENUM
};

/* Short English text for a status code; "unknown status" for anything else. Never NULL. */
const char *tsr_strerror(int status);

#endif /* TSR_ERR_H */
