/** Every migration, in order. Listed explicitly so no glob or file loader is involved at run time. */
import { Migration20261125000000_rooms } from './Migration20261125000000_rooms.js';
import { Migration20261125010000_server_secret } from './Migration20261125010000_server_secret.js';
import { Migration20261201000000_chat } from './Migration20261201000000_chat.js';

export const migrationsList = [
  { name: 'Migration20261125000000_rooms', class: Migration20261125000000_rooms },
  { name: 'Migration20261125010000_server_secret', class: Migration20261125010000_server_secret },
  { name: 'Migration20261201000000_chat', class: Migration20261201000000_chat },
];
