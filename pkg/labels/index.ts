// Label selectors: parse (string form or metav1.LabelSelector), match, print.
export * from './selector.ts';
export { parseLabelSelector } from './parse.ts';
export { labelSelectorFromMeta } from './metav1.ts';
export type { MetaLabelSelector, MetaLabelSelectorRequirement } from './metav1.ts';
export { labelKeyErrors, labelValueErrors } from './validation.ts';
