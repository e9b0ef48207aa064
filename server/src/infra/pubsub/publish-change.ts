import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PinoLogger } from 'nestjs-pino';

/**
 * Publishes a stored change on its topics. A failure is logged, not thrown: the change is stored
 * already, and subscribers fetch again when their connection comes back.
 */
export async function publishChange(
  pubSub: RedisPubSub,
  logger: PinoLogger,
  topics: readonly string[],
  payload: object,
  context: Record<string, unknown>,
): Promise<void> {
  try {
    await Promise.all(topics.map((topic) => pubSub.publish(topic, payload)));
  } catch (error) {
    logger.warn({ ...context, topics, err: error }, 'could not publish a change');
  }
}
