/** The artifact Pawprint registers: a project has one model, as GTO's `model` artifact. */
export const ARTIFACT = 'model';

/** The stage promotion to which is gated by the version's acceptance rule. */
export const PRODUCTION = 'production';

/** The stages the page offers; any other name the user types is a stage too. */
export const SUGGESTED_STAGES: readonly string[] = ['staging', PRODUCTION];

export const REGISTRY_REF_PREFIX = 'registry/';

/** GTO's rule for artifact and stage names: lowercase letters, digits, "-" and "/", from a letter to a letter or digit. */
const GTO_NAME = /^[a-z][a-z0-9/-]*[a-z0-9]$/;

/** Why `name` cannot be a stage, or null when it can. */
export function stageNameProblem(name: string): string | null {
  if (name === '') return 'A stage needs a name, e.g. staging or production.';
  if (name.length > 64) return 'A stage name can be at most 64 characters long.';
  if (!GTO_NAME.test(name) || name.includes('//')) {
    return `“${name}” cannot name a stage: use lowercase letters, digits, “-” and “/” (as GTO does), starting with a letter and ending with a letter or digit, e.g. staging or eu/production.`;
  }
  return null;
}

/** GTO's tag for an assignment: `model#production#3`, or `model#production!#4` when it takes the version out. */
export function assignmentTag(assignment: { artifact: string; stage: string; number: number; action: 'assign' | 'unassign' }): string {
  return `${assignment.artifact}#${assignment.stage}${assignment.action === 'unassign' ? '!' : ''}#${assignment.number}`;
}

/** The ref that keeps an assignment: `registry/model#production#3`. */
export const assignmentRefName = (tag: string): string => REGISTRY_REF_PREFIX + tag;
