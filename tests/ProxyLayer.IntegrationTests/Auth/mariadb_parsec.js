'use strict';
// Node's mariadb connector (MariaDB's own, installed by scripts/setup.sh into .cache/node): the one client here that
// speaks PARSEC.
//
//   node mariadb_parsec.js NODE_MODULES login HOST PORT USER PASSWORD
//     logs in (the connector follows the server's switch to parsec) and prints CURRENT_USER(), or one line
//     "ERROR <code> <message>" (exit status 1) when the login is refused;
//   node mariadb_parsec.js NODE_MODULES hash PASSWORD
//     prints the stored form MariaDB keeps for a parsec account, P0:salt:key, computed here with node's OpenSSL
//     (PBKDF2-SHA512, 1024 iterations, an 18-byte random salt, the Ed25519 public key of the derived seed).
const crypto = require('crypto');
const path = require('path');

const [modules, mode, ...rest] = process.argv.slice(2);
const unpadded = (bytes) => bytes.toString('base64').replace(/=+$/, '');

if (mode === 'hash') {
  const [password] = rest;
  const salt = crypto.randomBytes(18);
  const seed = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1024, 32, 'sha512');
  const pkcs8Ed25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
  const key = crypto.createPrivateKey({ key: Buffer.concat([pkcs8Ed25519, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12);
  console.log(`P0:${unpadded(salt)}:${unpadded(publicKey)}`);
  process.exit(0);
}

const [host, port, user, password] = rest;
// By file: "exports" maps the package name, not a path to its folder.
const mariadb = require(path.join(modules, 'mariadb', 'dist', 'promise.cjs'));
(async () => {
  let conn;
  try {
    conn = await mariadb.createConnection({ host, port: Number(port), user, password, connectTimeout: 10000 });
    const rows = await conn.query('SELECT CURRENT_USER() AS who');
    console.log(rows[0].who);
    await conn.end();
  } catch (error) {
    console.log(`ERROR ${error.errno} ${error.sqlMessage || error.message}`);
    process.exitCode = 1;
    if (conn) conn.destroy();
  }
})();
