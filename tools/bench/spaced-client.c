// A spaced-out HTTP/1.1 client for `node tools/bench/run.mjs --spaced`: one GET every GAP ms on
// one keep-alive connection, and the latency percentiles (ms) of COUNT requests after three
// warm-up requests. In C because waking Node's event loop after an idle gap adds about half a
// millisecond to every request, the size of what is being measured; both runtimes are measured
// with the same client.
//
//   spaced-client PORT PATH COUNT GAP_MS   ->   "p50 P p90 P min P" on stdout
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double nowMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

// Reads one response; returns its status, or -1 when the connection ends first.
static int readResponse(int fd) {
  static char buffer[1 << 16];
  size_t got = 0;
  for (;;) {
    if (got == sizeof(buffer) - 1) return -1;
    ssize_t n = read(fd, buffer + got, sizeof(buffer) - 1 - got);
    if (n <= 0) return -1;
    got += n;
    buffer[got] = 0;
    char* end = strstr(buffer, "\r\n\r\n");
    if (end == NULL) continue;
    char* length = strcasestr(buffer, "\r\ncontent-length:");
    size_t body = length != NULL && length < end ? strtoul(length + 17, NULL, 10) : 0;
    if (got >= (size_t)(end - buffer) + 4 + body) return atoi(buffer + 9);
  }
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: spaced-client PORT PATH COUNT GAP_MS\n");
    return 2;
  }
  int port = atoi(argv[1]), count = atoi(argv[3]), gap = atoi(argv[4]);
  const char* path = argv[2];
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr*)&address, sizeof(address)) != 0) {
    perror("spaced-client: connect");
    return 1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  char request[1024];
  int length = snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
  double* times = calloc(count, sizeof(double));
  for (int i = 0; i < count + 3; i++) {
    usleep(gap * 1000);
    double start = nowMs();
    if (write(fd, request, length) != length) {
      perror("spaced-client: write");
      return 1;
    }
    int status = readResponse(fd);
    if (status != 200) {
      fprintf(stderr, "spaced-client: status %d\n", status);
      return 1;
    }
    if (i >= 3) times[i - 3] = nowMs() - start;
  }
  qsort(times, count, sizeof(double), compare);
  printf("p50 %.3f p90 %.3f min %.3f\n", times[count / 2], times[count * 9 / 10], times[0]);
  return 0;
}
