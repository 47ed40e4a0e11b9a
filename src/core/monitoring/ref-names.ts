/**
 * A monitoring record is kept by `monitoring/<version id>/<record id>`: named after its
 * version, so deleting the version finds and removes its records' refs (and gc their images).
 */
export const MONITORING_REF_PREFIX = 'monitoring/';

export const monitoringRefPrefix = (versionId: string): string => `${MONITORING_REF_PREFIX}${versionId}/`;

export const monitoringRefName = (versionId: string, recordId: string): string => monitoringRefPrefix(versionId) + recordId;
