/* mlte_nb's launcher: run a command and report its exact resource usage.
 *
 * Usage: launcher FD COMMAND [ARG...]
 * Writes to FD "pid PID\n" once the command runs (or "error MESSAGE\n" and exits 127),
 * then "exit STATUS CPU_S MAXRSS_KB WALL_S FLOOR_KB\n": the raw wait status, the
 * command's user + system CPU seconds and ru_maxrss (KB) from wait4, its wall time, and
 * this launcher's own VmHWM (KB). It then exits as the command did (same code, or the
 * same signal).
 *
 * Why C: Linux carries the peak RSS of the memory a process had before exec into its
 * ru_maxrss, so a command started from a big process reports that process's peak. This
 * launcher is the command's only ancestor in between, and it is tiny (no allocation; a
 * few hundred KB when linked statically). It spawns with posix_spawnp (vfork + exec,
 * sharing this launcher's memory): the command inherits exactly this launcher's
 * high-water mark, which is FLOOR, and pays nothing for copying or tearing down memory.
 * So a ru_maxrss above FLOOR is the command's own peak; one at or below it may not be.
 *
 * Compiled on first use by mlte_nb/measure/_launch.py into a per-user cache folder.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void report(int fd, const char *format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (length < 0) return;
    if (length >= (int)sizeof line) length = (int)sizeof line - 1;
    const char *text = line;
    while (length > 0) {
        ssize_t done = write(fd, text, (size_t)length);
        if (done < 0) {
            if (errno == EINTR) continue;
            return;
        }
        text += done;
        length -= (int)done;
    }
}

static double seconds(struct timespec t) { return (double)t.tv_sec + (double)t.tv_nsec / 1e9; }

static double timeval_s(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

static long own_hwm_kb(void) {
    char text[8192];
    ssize_t size = 0;
    int status = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (status < 0) return 0;
    for (;;) {
        ssize_t got = read(status, text + size, sizeof text - 1 - (size_t)size);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        size += got;
    }
    close(status);
    text[size] = '\0';
    const char *at = strstr(text, "VmHWM:");
    return at ? strtol(at + 6, NULL, 10) : 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FD COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    int fd = atoi(argv[1]);
    fcntl(fd, F_SETFD, FD_CLOEXEC); /* the command must not hold the report pipe */

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid;
    int failed = posix_spawnp(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (failed) {
        report(fd, "error [Errno %d] %s: '%.200s'\n", failed, strerror(failed), argv[2]);
        return 127;
    }
    report(fd, "pid %ld\n", (long)pid);

    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            report(fd, "error wait4: %s\n", strerror(errno));
            return 127;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double cpu = timeval_s(usage.ru_utime) + timeval_s(usage.ru_stime);
    report(fd, "exit %d %.6f %ld %.9f %ld\n", status, cpu, (long)usage.ru_maxrss,
           seconds(end) - seconds(start), own_hwm_kb());

    if (WIFSIGNALED(status)) { /* die the same way, so the caller sees the signal too */
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
