'use strict';
// Logs in with node mysql2 (installed by scripts/setup.sh into .cache/node) and prints three lines:
//   CURRENT_USER()
//   "tls" or "plain"
//   the caching_sha2_password steps the server asked for: "fast", "full", "full+key" (the client asked for the
//   RSA public key), or "none" (the login finished through another plugin)
// or one line "ERROR <code> <message>" (exit status 1) when the login is refused.
//
//   node mysql2_login.js NODE_MODULES HOST PORT USER PASSWORD [--ca FILE] [--server-key FILE]
//
// --ca: TLS, verifying the server's certificate against FILE (not its host name).
// --server-key: the client already has the server's RSA public key (mysql2's authPlugins option), so a full
// authentication without TLS sends the encrypted password at once instead of asking for the key.
const fs = require('fs');
const path = require('path');

const [modules, host, port, user, password, ...options] = process.argv.slice(2);
const option = (name) => {
  const index = options.indexOf(name);
  return index < 0 ? undefined : options[index + 1];
};

// The steps are seen by wrapping mysql2's own caching_sha2_password plugin before mysql2 loads it: the wrapper only
// records the AuthMoreData packets (0x03 fast path succeeded, 0x04 full authentication, else the PEM key).
const pluginPath = require.resolve(path.join(modules, 'mysql2', 'lib', 'auth_plugins', 'caching_sha2_password.js'));
const originalPlugin = require(pluginPath);
const steps = [];
const tracedPlugin = (pluginOptions = {}) => (context) => {
  const handler = originalPlugin(pluginOptions)(context);
  let primed = false;
  return (data) => {
    if (primed) {
      if (data.length === 1 && data[0] === 3) steps.push('fast');
      else if (data.length === 1 && data[0] === 4) steps.push('full');
      else steps.push('key');
    }
    primed = true;
    return handler(data);
  };
};
tracedPlugin.calculateToken = originalPlugin.calculateToken;
require.cache[pluginPath].exports = tracedPlugin;

const mysql = require(path.join(modules, 'mysql2', 'promise'));

async function main() {
  const config = { host, port: Number(port), user, password, connectTimeout: 10000 };
  const ca = option('--ca');
  if (ca) {
    // The proxy's generated certificate names no host: check the chain, not the name.
    config.ssl = { ca: fs.readFileSync(ca), rejectUnauthorized: true, checkServerIdentity: () => undefined };
  }
  const serverKey = option('--server-key');
  if (serverKey) {
    config.authPlugins = { caching_sha2_password: tracedPlugin({ serverPublicKey: fs.readFileSync(serverKey, 'ascii') }) };
  }
  let connection;
  try {
    connection = await mysql.createConnection(config);
  } catch (error) {
    console.log(`ERROR ${error.errno ?? error.code} ${error.message}`);
    return 1;
  }
  try {
    const [rows] = await connection.query('SELECT CURRENT_USER() AS user');
    console.log(rows[0].user);
    console.log(connection.connection.stream.encrypted ? 'tls' : 'plain');
    console.log(steps.length === 0 ? 'none' : steps.join('+'));
  } finally {
    await connection.end();
  }
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error.stack || String(error));
  process.exit(2);
});
