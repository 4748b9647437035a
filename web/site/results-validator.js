// Upload's validator in the source tree (Node tests): docs/upload.schema.json compiled when this module loads.
// web/build-site.mjs writes build/site/results-validator.js in its place: the same validator as ajv standalone code.
import { compileUploadValidator } from '../results-validator.mjs';

/// validateUpload(data) -> boolean; the first error on validateUpload.errors. It drops unknown fields from `data`
/// and fills in missing nullable ones.
export const validateUpload = compileUploadValidator();
