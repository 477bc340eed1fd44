/*
 * bgthread.c: helper threads at the lowest priority (bgthread.h).
 */
#define _GNU_SOURCE /* gettid */

#include "bgthread.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int bg_thread_lower(void)
{
    return setpriority(PRIO_PROCESS, (id_t)gettid(), BG_THREAD_NICE) == 0 ? 0 : -1;
}

/* The nice value in one /proc/<pid>/task/<tid>/stat line: the 17th field after the command
 * name's closing parenthesis (field 19 of proc(5); the name may hold spaces and parentheses).
 * Returns 0 and sets *nice, or -1. */
static int stat_nice(const char *line, int *nice)
{
    const char *p = strrchr(line, ')');
    if (!p)
        return -1;
    for (int field = 2; field < 19; field++) {
        p = strchr(p + 1, ' ');
        if (!p)
            return -1;
    }
    char *end;
    long v = strtol(p + 1, &end, 10);
    if (end == p + 1)
        return -1;
    *nice = (int)v;
    return 0;
}

int bg__threads_with_nice(int nice)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int count = 0;
    struct dirent *e;
    while (count >= 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[64], line[512];
        snprintf(path, sizeof path, "/proc/self/task/%.20s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        int v = 0;
        if (!f) /* the thread ended meanwhile */
            continue;
        if (!fgets(line, sizeof line, f) || stat_nice(line, &v) != 0)
            count = -1;
        else
            count += v == nice;
        fclose(f);
    }
    closedir(d);
    return count;
}
