// Frozen once shipped: the queue that works a ticket type (tickets_type.queue_id); new unassigned
// tickets of a type with a queue are routed through the ACD as work items of the task channel.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets_type').addColumn('queue_id', 'text').execute();
}
