# Sourced by hack/bin/launch.sh and hack/image/build.sh (POSIX sh): find_jemalloc prints the
# path of the system's jemalloc (KPLANE_JEMALLOC first, then where Debian, Ubuntu and Fedora
# install libjemalloc.so.2) and fails when there is none.
find_jemalloc() {
  for lib in ${KPLANE_JEMALLOC:-} /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
    /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2 /usr/local/lib/libjemalloc.so.2; do
    if [ -f "$lib" ]; then
      printf '%s\n' "$lib"
      return 0
    fi
  done
  return 1
}

# jemalloc's settings when kplane preloads it: its background thread gives freed pages back to
# the system while the process is idle (without it, only allocator activity does).
KPLANE_MALLOC_CONF=background_thread:true
