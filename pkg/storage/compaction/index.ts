// Package compaction: scheduled storage compaction keeping a bounded history window.
export {
  DEFAULT_RETAIN_SECONDS,
  DEFAULT_SCHEDULE,
  RevisionCompactor,
  startCompactor,
  type CompactableStorage,
  type CompactorLogger,
  type CompactorOptions,
  type RevisionCompactorOptions,
} from './compactor.ts';
