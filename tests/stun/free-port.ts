/**
 * A UDP port that was free a moment ago, for STUN tests, since STUN_PORT=0 means "off"
 * rather than "any port". One implementation, shared with the API's unit tests.
 */
export { freeUdpPort } from '../../api/src/stun/testing.js';
