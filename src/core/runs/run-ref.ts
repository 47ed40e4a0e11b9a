/**
 * The ref naming the last training result not yet committed: a version object
 * with an empty message, kept so a reload finds it and gc spares its model.
 * Committing copies it into a timeline version. Apart from save-run so that
 * code reading refs does not load tfjs.
 */
export const RUN_REF = 'workspace-run';
