// A stand-in for controllers-worker.ts (controllers-thread.test.ts) that dies at once.
process.exit(7);
