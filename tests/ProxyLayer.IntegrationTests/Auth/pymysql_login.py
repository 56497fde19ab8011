"""Logs in with PyMySQL (Debian's python3-pymysql) and prints CURRENT_USER() and the session's cipher, or the error.

    pymysql_login.py HOST PORT USER PASSWORD [CA_FILE]

With CA_FILE the connection uses TLS and verifies the server's certificate against it (not its host name).
PyMySQL starts with the plugin the greeting names and follows switches: caching_sha2_password (fast path, full
authentication over TLS, or with the server's RSA key, which it asks for), client_ed25519 (through PyNaCl) and
mysql_native_password. Exit status 0 on success, 1 with "ERROR <code> <message>" on a MySQL error.
"""
import sys

import pymysql


def main():
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    tls = {"ssl_ca": sys.argv[5], "ssl_verify_cert": True} if len(sys.argv) > 5 else {}
    try:
        connection = pymysql.connect(host=host, port=port, user=user, password=password, connect_timeout=10, **tls)
    except pymysql.err.MySQLError as error:
        print(f"ERROR {error.args[0]} {error.args[1] if len(error.args) > 1 else ''}")
        return 1
    with connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT CURRENT_USER()")
            print(cursor.fetchone()[0])
        print("tls" if connection._sock.__class__.__name__ == "SSLSocket" else "plain")
    return 0


if __name__ == "__main__":
    sys.exit(main())
