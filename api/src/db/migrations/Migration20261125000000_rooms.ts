import { Migration } from '@mikro-orm/migrations';

/** Rooms: a slug people share, a title, when it was made. */
export class Migration20261125000000_rooms extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "room" (
      "id" uuid not null,
      "slug" varchar(64) not null,
      "title" varchar(120) not null,
      "created_at" timestamptz not null,
      constraint "room_pkey" primary key ("id"));`);
    this.addSql(`alter table "room" add constraint "room_slug_unique" unique ("slug");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "room" cascade;`);
  }
}
