// Preloaded (`node -r`) into a child the latency bench times: at exit the child prints its own peak
// resident set size (all its threads: the emulators run in worker threads of the same process), the
// figure `/usr/bin/time -v` calls "Maximum resident set size".
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
