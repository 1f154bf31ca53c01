-- Loopback-only Prosody for the Confab XMPP demo (Prosody 0.12.x, Debian bookworm).
-- examples/xmpp/start.js fills in STATE_DIR and the ports; the XMPP tests (test/support/xmpp/servers.ts)
-- start Prosody from this file too, with memory storage. Nothing here is fit for the internet.
run_as_root = true            -- CI runs as root; otherwise run as the 'prosody' user and drop this
pidfile = "STATE_DIR/prosody/prosody.pid"
data_path = "STATE_DIR/prosody/data"
certificates = "STATE_DIR/prosody/certs"
log = { { levels = { min = "info" }, to = "console" } }

interfaces = { "127.0.0.1" }
c2s_ports = { 15222 }
s2s_ports = { }
http_ports = { 15280 }
http_interfaces = { "127.0.0.1" }
https_ports = { }
https_interfaces = { }

modules_enabled = {
  "disco"; "roster"; "saslauth"; "ping"; "time"; "version"; "uptime";
  "register";         -- XEP-0077 in-band registration (persistent guest accounts)
  "mam";              -- XEP-0313 message archive (1:1 history, RSM cursors)
  "carbons"; "smacks"; "csi_simple";
  "http"; "websocket"; "bosh";   -- RFC 7395 + XEP-0124/0206
}
-- mod_offline (loaded by default) stays on: it keeps the invitations the widget sends to agents who
-- are offline, so they find every conversation when they log in (examples/xmpp/README.md).
modules_disabled = { "s2s"; "tls" }

-- loopback/plain-text test setup: no TLS anywhere
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_websocket_secure = true
consider_bosh_secure = true

allow_registration = true
min_seconds_between_registrations = 0
registration_throttle_max = 100000

storage = "internal"          -- files under data_path, so prosodyctl can create the agent account first
archive_expires_after = "never"
default_archive_policy = true
max_archive_query_results = 50

VirtualHost "localhost"        -- agents and registered (persistent) guests
  authentication = "internal_plain"

VirtualHost "guest.localhost"  -- SASL ANONYMOUS: throw-away JIDs for visitors
  authentication = "anonymous"
  allow_anonymous_s2s = false

Component "conference.localhost" "muc"   -- one room per conversation
  modules_enabled = { "muc_mam" }
  muc_log_by_default = true
  muc_log_all_rooms = true
  muc_log_presences = false
  restrict_room_creation = false
  muc_room_locking = false        -- new rooms usable at once (no XEP-0045 instant-room form needed)
  muc_room_default_public = false
  muc_room_default_persistent = true
  muc_room_default_history_length = 50

-- HTTP File Upload (XEP-0363): visitors and agents attach files. The widget finds this service by
-- service discovery (it is listed among the items of "localhost") and reads its size limit there.
-- It is served on the HTTP port above, under /file_share/; http_host makes the URLs it hands out
-- name 127.0.0.1 (on a real server: http_external_url = "https://upload.example.com/" or a proxy).
-- Uploads from the page are cross-origin: the module answers CORS preflights for PUT with the
-- Authorization and Content-Type headers by itself, echoing any Origin (restrict it with
-- http_cors_override = { file_share = { origins = { "https://www.example.com" } } }).
-- Users of any host of this server may upload (localhost and guest.localhost): the default access.
Component "upload.localhost" "http_file_share"
  http_host = "127.0.0.1"
  http_file_share_size_limit = 10 * 1024 * 1024       -- bytes; announced as max-file-size
  http_file_share_daily_quota = 100 * 1024 * 1024      -- per uploader
  http_file_share_expires_after = 7 * 24 * 60 * 60     -- seconds a file is kept
