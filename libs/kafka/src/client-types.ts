// The Kafka client's types under the names Herald's services use. Code outside libs/kafka names
// these, never kafkajs: swapping the client changes what they stand for here, not the services.
export type { Admin as KafkaAdmin, IHeaders as RecordHeaders, Kafka as KafkaClient, KafkaMessage as KafkaRecord, Message as RecordToSend, Producer as KafkaProducer } from 'kafkajs';
