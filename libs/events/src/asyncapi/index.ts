export { eventMessages, KAFKA_BINDING_VERSION, keySchema, READER_TOLERANCE } from './event-messages';
export { SEALED_FIELDS } from './sealed-fields';
