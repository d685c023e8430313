/**
 * The STUN server as a pure function: one request datagram and its source in, one
 * response datagram (or null: send nothing) out. listener.ts calls it for every datagram
 * that passes the rate limit; it never throws, whatever the bytes.
 *
 * Only Binding requests are answered: RFC 8489 ones with XOR-MAPPED-ADDRESS, SOFTWARE and
 * FINGERPRINT, RFC 3489 ones (no magic cookie) with MAPPED-ADDRESS. Indications (keepalives),
 * responses, other methods and anything malformed are dropped silently: a STUN server
 * must not answer what it cannot parse, and silence gives a reflector nothing to amplify.
 */
import { unmapIPv4, type TransportAddress } from './address.js';
import {
  setErrorCode, setMappedAddress, setSoftware, setUnknownAttributes, setXorMappedAddress,
  getChangeRequest,
} from './attributes.js';
import {
  AttrType, checkFingerprint, decodeMessage, encodeMessage, hasMagicCookie, MessageClass, Method,
  type StunMessage,
} from './message.js';

export interface HandlerOptions {
  /** The SOFTWARE attribute of every response. */
  software?: string;
  /**
   * Test-only: report the mapped port plus this (mod 65536). On loopback the true mapped
   * address equals the host candidate and browsers drop the srflx candidate; a shifted
   * port makes them keep it.
   */
  portShift?: number;
}

export type StunHandler = (request: Buffer, source: TransportAddress) => Buffer | null;

/**
 * Comprehension-required attributes a Binding request may carry that we understand
 * (credentials and ICE attributes are accepted and ignored: Parley's STUN is open).
 */
const UNDERSTOOD = new Set<number>([
  AttrType.MappedAddress, AttrType.ChangeRequest, AttrType.Username, AttrType.MessageIntegrity,
  AttrType.ErrorCode, AttrType.UnknownAttributes, AttrType.Realm, AttrType.Nonce,
  AttrType.MessageIntegritySha256, AttrType.PasswordAlgorithm, AttrType.Userhash,
  AttrType.XorMappedAddress, AttrType.Priority, AttrType.UseCandidate,
]);

/** The last attribute type RFC 3489 defined; anything newer needs the magic cookie. */
const LAST_RFC3489_ATTRIBUTE = 0x000b;

export function createStunHandler(options: HandlerOptions = {}): StunHandler {
  const software = options.software ?? 'Parley';
  const portShift = options.portShift ?? 0;
  return (request, source) => {
    try {
      return respond(request, source, software, portShift);
    } catch {
      return null;
    }
  };
}

function respond(request: Buffer, source: TransportAddress, software: string, portShift: number): Buffer | null {
  const req = decodeMessage(request);
  if (req.cls !== MessageClass.Request || req.method !== Method.Binding) return null;
  const modern = hasMagicCookie(req);
  if (!modern && req.attributes.some((a) => a.type > LAST_RFC3489_ATTRIBUTE)) return null;
  if (!checkFingerprint(request, req)) return null;

  const res: StunMessage = {
    method: Method.Binding,
    cls: MessageClass.SuccessResponse,
    cookie: req.cookie,
    transactionId: req.transactionId,
    attributes: [],
  };
  const unknown = unknownRequired(req);
  if (unknown.length > 0) {
    res.cls = MessageClass.ErrorResponse;
    setErrorCode(res, 420, 'Unknown Attribute');
    setUnknownAttributes(res, unknown);
  } else {
    const from = unmapIPv4(source);
    const mapped = { ...from, port: (from.port + portShift) & 0xffff };
    if (modern) setXorMappedAddress(res, mapped);
    else setMappedAddress(res, mapped);
  }
  setSoftware(res, software);
  return encodeMessage(res, { fingerprint: modern });
}

/** Comprehension-required (type < 0x8000) attribute types we do not understand, deduplicated. */
function unknownRequired(req: StunMessage): number[] {
  const unknown = new Set<number>();
  for (const a of req.attributes) {
    if (a.type >= 0x8000 || UNDERSTOOD.has(a.type)) continue;
    unknown.add(a.type);
  }
  // We have one address and one port: a request to answer from another is not understood.
  if (req.attributes.some((a) => a.type === AttrType.ChangeRequest)) {
    const change = getChangeRequest(req);
    if (!change || change.changeIp || change.changePort) unknown.add(AttrType.ChangeRequest);
  }
  return [...unknown];
}
