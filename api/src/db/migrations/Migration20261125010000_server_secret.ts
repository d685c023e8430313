import { Migration } from '@mikro-orm/migrations';

/** Server-wide secrets (the resume-token key), shared by restarts and instances. */
export class Migration20261125010000_server_secret extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "server_secret" (
      "name" varchar(64) not null,
      "value" text not null,
      constraint "server_secret_pkey" primary key ("name"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "server_secret";`);
  }
}
