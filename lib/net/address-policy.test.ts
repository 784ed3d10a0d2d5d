// The address policy over every textual form of an address. The first row is the reported hole:
// `[::ffff:127.0.0.1]` is rewritten by the URL parser to `[::ffff:7f00:1]`, which the old check
// (a regex for the dotted mapped form) let through.
import { afterEach, describe, expect, it } from "vitest";
import { checkAddress, classifyAddress, parseLooseIPv4 } from "./address-policy";
import { parseOutboundUrl } from "./outbound";

const saved = process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
afterEach(() => {
  if (saved === undefined) delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
  else process.env.FLOWGATE_ALLOW_PRIVATE_URLS = saved;
});

// host as written in a URL → [category, embedded IPv4 or undefined]
const TABLE: [string, string, string?][] = [
  ["[::ffff:127.0.0.1]", "loopback", "127.0.0.1"],
  ["[::ffff:7f00:1]", "loopback", "127.0.0.1"],
  ["2130706433", "loopback"],
  ["0x7f000001", "loopback"],
  ["0x7f.1", "loopback"],
  ["0177.0.0.1", "loopback"],
  ["127.1", "loopback"],
  ["127.0.0.1.", "loopback"],
  ["[::1]", "loopback"],
  ["[0:0:0:0:0:0:0:1]", "loopback"],
  ["[64:ff9b::7f00:1]", "loopback", "127.0.0.1"],
  ["[64:ff9b::127.0.0.1]", "loopback", "127.0.0.1"],
  ["[::127.0.0.1]", "loopback", "127.0.0.1"],
  ["[::ffff:0:7f00:1]", "loopback", "127.0.0.1"],
  ["[2002:7f00:1::]", "loopback", "127.0.0.1"],
  ["[2001:0:4136:e378:8000:63bf:80ff:fffe]", "loopback", "127.0.0.1"], // Teredo, client bits inverted
  ["169.254.169.254", "metadata"],
  ["[::ffff:169.254.169.254]", "metadata", "169.254.169.254"],
  ["[fd00:ec2::254]", "metadata"],
  ["169.254.1.1", "link-local"],
  ["[fe80::1]", "link-local"],
  ["[fe80::1%25eth0]", "link-local"],
  ["10.0.0.1", "private"],
  ["012.0.0.1", "private"], // octal 012 = 10
  ["172.16.5.4", "private"],
  ["192.168.1.1", "private"],
  ["[::ffff:c0a8:101]", "private", "192.168.1.1"],
  ["[fc00::1]", "private"],
  ["[fd12:3456::1]", "private"],
  ["100.64.0.1", "cgnat"],
  ["0.0.0.0", "unspecified"],
  ["0", "unspecified"],
  ["[::]", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["[ff02::1]", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["240.0.0.1", "reserved"],
  ["192.0.2.1", "reserved"],
  ["[2001:db8::1]", "reserved"],
  ["8.8.8.8", "public"],
  ["[2606:4700:4700::1111]", "public"],
  ["[::ffff:8.8.8.8]", "public", "8.8.8.8"],
  ["[64:ff9b::808:808]", "public", "8.8.8.8"],
];

describe("classifyAddress", () => {
  it.each(TABLE)("%s is %s", (host, category, embedded) => {
    const c = classifyAddress(host);
    expect(c, host).not.toBeNull();
    expect(c!.category).toBe(category);
    expect(c!.embedded).toBe(embedded);
  });

  it("agrees with the URL parser's rewriting: the hostname it produces classifies the same", () => {
    for (const [host, category] of TABLE) {
      let hostname: string;
      try {
        hostname = new URL(`http://${host}/`).hostname;
      } catch {
        continue; // zone ids: the URL parser refuses them outright
      }
      expect(classifyAddress(hostname)?.category, `${host} → ${hostname}`).toBe(category);
    }
  });

  it("names are not addresses", () => {
    for (const h of ["localhost", "localhost.", "example.com", "127.0.0.1.nip.io", "0x7g.1", "1.2.3.4.5", "256.1.1.1"]) expect(classifyAddress(h), h).toBeNull();
  });

  it("loose IPv4 parsing is inet_aton's", () => {
    expect(parseLooseIPv4("127.1")).toEqual([127, 0, 0, 1]);
    expect(parseLooseIPv4("10.1.65535")).toEqual([10, 1, 255, 255]);
    expect(parseLooseIPv4("4294967295")).toEqual([255, 255, 255, 255]);
    expect(parseLooseIPv4("4294967296")).toBeNull();
    expect(parseLooseIPv4("08.1.1.1")).toBeNull();
  });
});

describe("checkAddress", () => {
  it("refuses every non-public form when nothing is allowed, with the setting to change in the message", () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    for (const [host, category] of TABLE) {
      const v = checkAddress(host, "webhook");
      expect(v.ok, host).toBe(category === "public");
      if (!v.ok && ["loopback", "private", "link-local", "cgnat"].includes(category)) expect(v.reason).toContain("FLOWGATE_ALLOW_PRIVATE_URLS=webhook");
    }
  });

  it("an allowance opens loopback/private/link-local/CGNAT to that purpose only; metadata, multicast, reserved stay shut", () => {
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "endpoint";
    expect(checkAddress("::ffff:7f00:1", "endpoint").ok).toBe(true);
    expect(checkAddress("10.1.2.3", "endpoint").ok).toBe(true);
    expect(checkAddress("::ffff:7f00:1", "webhook").ok).toBe(false);
    expect(checkAddress("::ffff:7f00:1", "output").ok).toBe(false);
    for (const h of ["169.254.169.254", "::ffff:169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.1"]) expect(checkAddress(h, "endpoint").ok, h).toBe(false);
    process.env.FLOWGATE_ALLOW_PRIVATE_URLS = "1";
    expect(checkAddress("127.0.0.1", "image").ok).toBe(true);
    expect(checkAddress("169.254.169.254", "image").ok).toBe(false);
  });

  it("URLs: every textual form of loopback is refused before connecting", () => {
    delete process.env.FLOWGATE_ALLOW_PRIVATE_URLS;
    for (const h of ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "[::1]", "[64:ff9b::7f00:1]", "[::127.0.0.1]", "169.254.169.254", "[fe80::1%25eth0]"]) {
      expect(() => parseOutboundUrl(`http://${h}:8188/prompt`, "webhook"), h).toThrow(/refused|not a valid URL/);
    }
    expect(() => parseOutboundUrl("file:///etc/passwd", "image")).toThrow(/Only http/);
    expect(parseOutboundUrl("https://8.8.8.8/x", "image").hostname).toBe("8.8.8.8");
  });
});
