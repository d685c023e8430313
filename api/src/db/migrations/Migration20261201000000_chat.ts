import { Migration } from '@mikro-orm/migrations';

/**
 * Room chat: one row per message, numbered per room. `room.chat_seq` is the room's
 * counter: a sender's transaction updates it (which locks the room row) and inserts the
 * message with the new number, so numbers are gapless and one order holds on every
 * instance; a join reads its history under a share lock on the same row.
 */
export class Migration20261201000000_chat extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "room" add column "chat_seq" integer not null default 0;`);
    this.addSql(`create table "chat_message" (
      "id" uuid not null,
      "room_id" uuid not null,
      "seq" integer not null,
      "from_id" varchar(64) not null,
      "from_name" varchar(40) not null,
      "text" varchar(2000) not null,
      "sent_at" timestamptz not null,
      constraint "chat_message_pkey" primary key ("id"),
      constraint "chat_message_room_fk" foreign key ("room_id") references "room" ("id") on delete cascade);`);
    this.addSql(`alter table "chat_message" add constraint "chat_message_room_seq_unique" unique ("room_id", "seq");`);
    // The retention job deletes by age.
    this.addSql(`create index "chat_message_sent_at_index" on "chat_message" ("sent_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "chat_message";`);
    this.addSql(`alter table "room" drop column if exists "chat_seq";`);
  }
}
