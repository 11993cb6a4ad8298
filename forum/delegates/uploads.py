"""The size limit of an uploaded delegate list. (The file itself rides on its job's row, from
the preview to the import: see ``forum.delegates.jobs``.)"""

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
