/**
 * The ref naming the corrections not yet committed (a `feedback` object): moved with the
 * workspace by "Correct label", recorded in the next version and cleared by its commit.
 */
export const FEEDBACK_REF = 'workspace-feedback';
