// The kernel oracle's harness: replays the model's events as real syscalls inside a sandbox that
// reaches nothing of the host: a private mount namespace (checked, or the harness refuses to run),
// a tmpfs root entered with pivot_root(2) (the old root lazily detached), a new pid namespace so
// that the trace's tasks get pids 1, 2, 3 in creation order, and one CPU so that namespace ids
// follow creation order.
//
// Protocol (one record per line). stdin, from the driver, one command per step:
//   <task> \t <op> \t <arg> ...   op: sys (generic syscall: nr then args), setattr (mount_setattr:
//                                 dfd path flags set clr propagation), clone, unshare, exit,
//                                 capset (bit 1 keeps CAP_SYS_ADMIN, 2 CAP_SYS_CHROOT),
//                                 socketpair, sendmsg (fd then the fds to pass), recvmsg
//   args: i<decimal> an integer, s<text> a string (s alone: ""), n a NULL pointer
// stdout, per step: "R\t<ret>[\t<fd>,<fd>]" or "E\t<errno>", then "N\t<pid>\t<ns id>\t<ns link>"
// for every live task, "M\t<pid>\t<mountinfo line>" for one task per namespace, then "D".
// A fatal problem: "X\t<message>" and exit status 2 (before the sandbox exists) or 3.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef NS_GET_MNTNS_ID
#define NSIO 0xb7
#define NS_GET_MNTNS_ID _IOR(NSIO, 0x5, uint64_t)
#endif

#define MAX_TASKS 64
#define CONTROL_FD_BASE 1000 // the harness's own fds sit far above the trace's
#define MAX_ARGS 300 // a sendmsg passes up to SCM_MAX_FD (253) fds and more
#define LINE_MAX_LEN 8192

static int task_end[MAX_TASKS + 1];  // the task's side of its control socket
static int super_end[MAX_TASKS + 1]; // the supervisor's side
static int live[MAX_TASKS + 1];
static pid_t init_host_pid = -1;
static int step_timeout_ms = 5000;

static void fatal(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("X\t");
  vprintf(fmt, ap);
  printf("\n");
  fflush(stdout);
  va_end(ap);
  if (init_host_pid > 0) kill(init_host_pid, SIGKILL); // the pid namespace dies with its init
  exit(status);
}

static int high_fd(int fd) {
  int moved = fcntl(fd, F_DUPFD, CONTROL_FD_BASE);
  if (moved < 0) fatal(2, "fcntl(F_DUPFD): %s", strerror(errno));
  close(fd);
  return moved;
}

static void ns_link(const char *path, char *out, size_t size) {
  ssize_t n = readlink(path, out, size - 1);
  out[n < 0 ? 0 : n] = '\0';
}

// ---- isolation -------------------------------------------------------------------------------

static void isolate(void) {
  if (geteuid() != 0) fatal(2, "oracle: the harness must run as root (euid 0)");
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &cpus);
  if (sched_setaffinity(0, sizeof cpus, &cpus) != 0) fatal(2, "oracle: sched_setaffinity: %s", strerror(errno));
  char before[64], after[64];
  ns_link("/proc/self/ns/mnt", before, sizeof before);
  if (before[0] == '\0') fatal(2, "oracle: cannot read /proc/self/ns/mnt");
  // The injected failure of the test suite: skip the unshare, so the check below must refuse.
  const char *inject = getenv("MNTNS_ORACLE_INJECT");
  int skip = inject != NULL && strcmp(inject, "skip-unshare") == 0;
  if (!skip && unshare(CLONE_NEWNS) != 0) fatal(2, "oracle: unshare(CLONE_NEWNS) failed (%s); the kernel oracle needs root", strerror(errno));
  ns_link("/proc/self/ns/mnt", after, sizeof after);
  if (after[0] == '\0' || strcmp(before, after) == 0)
    fatal(2, "oracle: refusing to run: still in the mount namespace %s after unshare(CLONE_NEWNS)", before);
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fatal(2, "oracle: making / private: %s", strerror(errno));
  // From here on every mount is private to this namespace.
  if (mount("oracle-stage", "/tmp", "tmpfs", 0, "size=1m") != 0) fatal(2, "oracle: staging tmpfs: %s", strerror(errno));
  if (mkdir("/tmp/sandbox", 0755) != 0) fatal(2, "oracle: mkdir sandbox: %s", strerror(errno));
  if (mount("tmpfs", "/tmp/sandbox", "tmpfs", 0, "size=16m") != 0) fatal(2, "oracle: sandbox tmpfs: %s", strerror(errno));
  static const char *const dirs[] = {"/tmp/sandbox/proc", "/tmp/sandbox/mnt", "/tmp/sandbox/tmp", "/tmp/sandbox/tmp/old-root"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    if (mkdir(dirs[i], 0755) != 0) fatal(2, "oracle: mkdir %s: %s", dirs[i], strerror(errno));
  if (syscall(SYS_pivot_root, "/tmp/sandbox", "/tmp/sandbox/tmp/old-root") != 0) fatal(2, "oracle: pivot_root: %s", strerror(errno));
  if (chdir("/") != 0) fatal(2, "oracle: chdir: %s", strerror(errno));
  if (umount2("/tmp/old-root", MNT_DETACH) != 0) fatal(2, "oracle: detaching the old root: %s", strerror(errno));
  if (rmdir("/tmp/old-root") != 0) fatal(2, "oracle: rmdir old root: %s", strerror(errno));
  if (unshare(CLONE_NEWPID) != 0) fatal(2, "oracle: unshare(CLONE_NEWPID): %s", strerror(errno));
}

// ---- the tasks ------------------------------------------------------------------------------

struct command {
  int task;
  char op[16];
  int argc;
  long num[MAX_ARGS];
  char *str[MAX_ARGS]; // NULL for a number or a NULL pointer
  int is_null[MAX_ARGS];
};

static int parse_command(char *line, struct command *cmd) {
  memset(cmd, 0, sizeof *cmd);
  char *save = NULL;
  char *field = strtok_r(line, "\t\n", &save);
  if (field == NULL) return -1;
  cmd->task = atoi(field);
  field = strtok_r(NULL, "\t\n", &save);
  if (field == NULL || strlen(field) >= sizeof cmd->op) return -1;
  strcpy(cmd->op, field);
  while ((field = strtok_r(NULL, "\t\n", &save)) != NULL) {
    if (cmd->argc == MAX_ARGS) return -1;
    int i = cmd->argc++;
    if (field[0] == 'i') cmd->num[i] = strtol(field + 1, NULL, 10);
    else if (field[0] == 's') cmd->str[i] = field + 1;
    else if (field[0] == 'n') cmd->is_null[i] = 1;
    else return -1;
  }
  return 0;
}

static long arg(const struct command *cmd, int i) {
  if (cmd->str[i] != NULL) return (long)cmd->str[i];
  if (cmd->is_null[i]) return 0;
  return cmd->num[i];
}

static void reply(int fd, const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (write(fd, buf, (size_t)n) < 0) _exit(3);
}

static void task_loop(int self);
static void write_maps(const char *proc_dir);

static void run_command(int self, struct command *cmd) {
  int out = task_end[self];
  long ret;
  if (strcmp(cmd->op, "sys") == 0) {
    ret = syscall(cmd->num[0], arg(cmd, 1), arg(cmd, 2), arg(cmd, 3), arg(cmd, 4), arg(cmd, 5), arg(cmd, 6));
  } else if (strcmp(cmd->op, "setattr") == 0) {
    // mount_setattr(dfd, path, flags, &{attr_set, attr_clr, propagation, 0}, size)
    uint64_t attr[4] = {(uint64_t)cmd->num[3], (uint64_t)cmd->num[4], (uint64_t)cmd->num[5], 0};
    ret = syscall(SYS_mount_setattr, cmd->num[0], arg(cmd, 1), cmd->num[2], attr, sizeof attr);
  } else if (strcmp(cmd->op, "clone") == 0) {
    long flags = cmd->num[0];
    ret = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (ret == 0) {
      int me = (int)getpid();
      if (me > MAX_TASKS) _exit(3);
      if (flags & CLONE_NEWUSER) write_maps("/proc/self");
      task_loop(me);
    }
  } else if (strcmp(cmd->op, "unshare") == 0) {
    ret = unshare((int)cmd->num[0]);
    if (ret == 0 && (cmd->num[0] & CLONE_NEWUSER)) write_maps("/proc/self");
  } else if (strcmp(cmd->op, "exit") == 0) {
    reply(out, "R\t0\n");
    _exit(0);
  } else if (strcmp(cmd->op, "capset") == 0) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    ret = syscall(SYS_capget, &header, data);
    if (ret == 0) {
      // The model keeps one set per task: a capability left out is dropped from the permitted set
      // too, and one asked for is raised (EPERM once it was dropped).
      static const int caps[2] = {CAP_SYS_ADMIN, CAP_SYS_CHROOT};
      for (int i = 0; i < 2; i++) {
        uint32_t bit = 1u << (caps[i] % 32);
        struct __user_cap_data_struct *word = &data[caps[i] / 32];
        if (cmd->num[0] & (1 << i)) word->effective |= bit;
        else {
          word->effective &= ~bit;
          word->permitted &= ~bit;
        }
      }
      ret = syscall(SYS_capset, &header, data);
    }
  } else if (strcmp(cmd->op, "socketpair") == 0) {
    int fds[2];
    ret = socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    if (ret == 0) {
      reply(out, "R\t0\t%d,%d\n", fds[0], fds[1]);
      return;
    }
  } else if (strcmp(cmd->op, "sendmsg") == 0) {
    int count = cmd->argc - 1;
    char byte = 'x';
    struct iovec iov = {&byte, 1};
    union {
      char buf[CMSG_SPACE(sizeof(int) * MAX_ARGS)];
      struct cmsghdr align;
    } control;
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (count > 0) {
      msg.msg_control = control.buf;
      msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)count);
      struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
      for (int i = 0; i < count; i++) ((int *)CMSG_DATA(c))[i] = (int)cmd->num[i + 1];
    }
    ret = sendmsg((int)cmd->num[0], &msg, MSG_NOSIGNAL);
  } else if (strcmp(cmd->op, "recvmsg") == 0) {
    char byte;
    struct iovec iov = {&byte, 1};
    union {
      char buf[CMSG_SPACE(sizeof(int) * 253)];
      struct cmsghdr align;
    } control;
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ret = recvmsg((int)cmd->num[0], &msg, MSG_DONTWAIT);
    if (ret >= 0) {
      char list[1024] = "";
      size_t used = 0;
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n && used < sizeof list - 16; i++)
          used += (size_t)snprintf(list + used, sizeof list - used, "%s%d", used == 0 ? "" : ",", ((int *)CMSG_DATA(c))[i]);
      }
      if (used > 0) {
        reply(out, "R\t%ld\t%s\n", ret, list);
        return;
      }
    }
  } else {
    reply(out, "E\t%d\n", EINVAL);
    return;
  }
  if (ret < 0) reply(out, "E\t%d\n", errno);
  else reply(out, "R\t%ld\n", ret);
}

static void task_loop(int self) {
  char line[LINE_MAX_LEN];
  // The injected hang of the test suite: task 1 stops answering at its second command.
  const char *inject = getenv("MNTNS_ORACLE_INJECT");
  int hang = inject != NULL && strcmp(inject, "hang-second-step") == 0 && self == 1;
  for (int count = 1;; count++) {
    if (hang && count == 2) pause();
    ssize_t n = 0;
    // One command per read: the supervisor writes a whole line and waits for the reply.
    n = read(task_end[self], line, sizeof line - 1);
    if (n <= 0) _exit(0);
    line[n] = '\0';
    struct command cmd;
    if (parse_command(line, &cmd) != 0) {
      reply(task_end[self], "E\t%d\n", EINVAL);
      continue;
    }
    run_command(self, &cmd);
  }
}

static void init_task(void) {
  // Task 1 is the pid namespace's init: when the supervisor dies, it dies, and every task with it.
  // (Had the supervisor died before this, the closed control socket ends the task too.)
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) _exit(3);
  for (int i = 1; i <= MAX_TASKS; i++) close(super_end[i]);
  signal(SIGCHLD, SIG_IGN); // exited tasks are reaped at once, as in the model
  if (mount("proc", "/proc", "proc", 0, NULL) != 0) _exit(3);
  reply(task_end[1], "READY\n");
  task_loop(1);
}

// ---- the supervisor -------------------------------------------------------------------------

static int read_reply(int fd, char *buf, size_t size) {
  struct pollfd p = {fd, POLLIN, 0};
  int ready = poll(&p, 1, step_timeout_ms);
  if (ready <= 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  if (n <= 0) return -1;
  buf[n] = '\0';
  return 0;
}

// Each user namespace maps its creator, as `unshare -r` does. Only a process in the namespace or
// in its parent may write the maps (kernel/user_namespace.c: new_idmap_permitted()), so a task
// that made one maps itself at once (through its own /proc/self), and the supervisor, capable
// over the first level of the trace's user namespaces, writes the maps through its own /proc where
// the task could not (a write that finds the map already written fails and changes nothing).
static void write_maps(const char *proc_dir) {
  static const char *const files[][2] = {{"setgroups", "deny"}, {"uid_map", "0 0 1"}, {"gid_map", "0 0 1"}};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[64];
    snprintf(path, sizeof path, "%s/%s", proc_dir, files[i][0]);
    // A trace that made procfs read-only leaves the namespace unmapped (oracle/deviations.ts).
    int fd = open(path, O_WRONLY);
    if (fd < 0) continue;
    if (write(fd, files[i][1], strlen(files[i][1])) < 0) { /* as above */ }
    close(fd);
  }
}

static void map_creator(int pid) {
  char proc_dir[32];
  snprintf(proc_dir, sizeof proc_dir, "/proc/%d", pid);
  write_maps(proc_dir);
}

static void wait_gone(int pid) {
  if (pid == 1) { // the supervisor is the parent of task 1, the pid namespace's init
    if (waitpid(init_host_pid, NULL, 0) == init_host_pid) init_host_pid = -1;
    return;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/%d", pid);
  struct stat st;
  for (int waited = 0; stat(path, &st) == 0; waited++) {
    if (waited * 2 > step_timeout_ms) fatal(3, "oracle: task %d did not go away after exit", pid);
    usleep(2000);
  }
}

static void report_tables(void) {
  uint64_t seen[MAX_TASKS + 1];
  int nseen = 0;
  for (int pid = 1; pid <= MAX_TASKS; pid++) {
    if (!live[pid]) continue;
    char path[64], link[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    uint64_t id = 0;
    if (ioctl(fd, NS_GET_MNTNS_ID, &id) != 0) id = 0;
    close(fd);
    ns_link(path, link, sizeof link);
    printf("N\t%d\t%llu\t%s\n", pid, (unsigned long long)id, link);
    int known = 0;
    for (int i = 0; i < nseen; i++) known |= seen[i] == id;
    if (known) continue;
    seen[nseen++] = id;
    snprintf(path, sizeof path, "/proc/%d/mountinfo", pid);
    FILE *info = fopen(path, "r");
    if (info == NULL) continue;
    char line[LINE_MAX_LEN];
    while (fgets(line, sizeof line, info) != NULL) printf("M\t%d\t%s", pid, line);
    fclose(info);
  }
}

// `mntns export-c` embeds a trace: EMBEDDED_COMMANDS and, per step, EMBEDDED_EXPECTED (the
// model's result as the harness prints it); the program then reports each differing result and
// exits 1 if any differs.
#ifdef MNTNS_EMBEDDED_TRACE
static size_t embedded_next = 0;
static int embedded_mismatches = 0;
static int next_line(char *line, size_t size) {
  if (embedded_next >= sizeof EMBEDDED_COMMANDS / sizeof EMBEDDED_COMMANDS[0]) return 0;
  snprintf(line, size, "%s\n", EMBEDDED_COMMANDS[embedded_next++]);
  return 1;
}
static void check_answer(const char *answer) {
  const char *expected = EMBEDDED_EXPECTED[embedded_next - 1];
  if (strncmp(answer, expected, strlen(expected)) != 0 || answer[strlen(expected)] != '\n') {
    fprintf(stderr, "step %zu: expected \"%s\", the kernel gave \"%.*s\"\n", embedded_next, expected, (int)strcspn(answer, "\n"), answer);
    embedded_mismatches++;
  }
}
#else
static int next_line(char *line, size_t size) { return fgets(line, (int)size, stdin) != NULL; }
static void check_answer(const char *answer) { (void)answer; }
#endif

static void supervise(void) {
  char line[LINE_MAX_LEN], answer[LINE_MAX_LEN];
  live[1] = 1;
  // The supervisor steps aside into a copy of the sandbox namespace, so its root and cwd pin none
  // of the trace's mounts.
  if (unshare(CLONE_NEWNS) != 0) fatal(3, "oracle: supervisor namespace: %s", strerror(errno));
  printf("READY\n");
  fflush(stdout);
  while (next_line(line, sizeof line)) {
    int task = atoi(line);
    if (task < 1 || task > MAX_TASKS || !live[task]) {
      snprintf(answer, sizeof answer, "E\t%d\n", ESRCH);
      printf("%s", answer);
      check_answer(answer);
    } else {
      if (write(super_end[task], line, strlen(line)) < 0) fatal(3, "oracle: task %d is gone", task);
      if (read_reply(super_end[task], answer, sizeof answer) != 0) fatal(3, "oracle: step timed out or task %d died", task);
      printf("%s", answer);
      check_answer(answer);
      struct command cmd;
      char copy[LINE_MAX_LEN];
      strcpy(copy, line);
      if (parse_command(copy, &cmd) != 0) cmd.op[0] = '\0';
      int is_clone = strcmp(cmd.op, "clone") == 0, is_unshare = strcmp(cmd.op, "unshare") == 0;
      if (is_clone && answer[0] == 'R') {
        int child = atoi(answer + 2);
        if (child >= 1 && child <= MAX_TASKS) live[child] = 1;
        if (child >= 1 && child <= MAX_TASKS && (cmd.num[0] & CLONE_NEWUSER)) map_creator(child);
      }
      if (is_unshare && answer[0] == 'R' && (cmd.num[0] & CLONE_NEWUSER)) map_creator(task);
      if (strcmp(cmd.op, "exit") == 0) {
        live[task] = 0;
        wait_gone(task);
        if (task == 1) // the pid namespace's init took every task with it
          for (int pid = 1; pid <= MAX_TASKS; pid++) live[pid] = 0;
      }
    }
    report_tables();
    printf("D\n");
    fflush(stdout);
  }
  if (init_host_pid > 0) kill(init_host_pid, SIGKILL);
#ifdef MNTNS_EMBEDDED_TRACE
  fflush(stdout);
  fprintf(stderr, "%s: %d of %zu results differ from the model's\n", embedded_mismatches == 0 ? "agree" : "DIFFER", embedded_mismatches, embedded_next);
  exit(embedded_mismatches == 0 ? 0 : 1);
#endif
}

int main(int argc, char **argv) {
  if (argc > 1) step_timeout_ms = atoi(argv[1]);
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  isolate();
  for (int i = 1; i <= MAX_TASKS; i++) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair) != 0) fatal(3, "oracle: socketpair: %s", strerror(errno));
    task_end[i] = high_fd(pair[0]);
    super_end[i] = high_fd(pair[1]);
  }
  // Only the standard streams and the control sockets go on to the tasks.
  for (int fd = 3; fd < CONTROL_FD_BASE; fd++) close(fd);
  fflush(stdout);
  init_host_pid = fork();
  if (init_host_pid < 0) fatal(3, "oracle: fork: %s", strerror(errno));
  if (init_host_pid == 0) init_task();
  for (int i = 1; i <= MAX_TASKS; i++) close(task_end[i]);
  char ready[64];
  if (read_reply(super_end[1], ready, sizeof ready) != 0 || strncmp(ready, "READY", 5) != 0)
    fatal(3, "oracle: task 1 did not start (mounting /proc failed?)");
  supervise();
  return 0;
}
