-- Accounts every rig and demo server has. Run by mariadb-install-db (--extra-file) before the binary
-- log exists, so none of this is ever replicated and every node can be primary or replica.
-- Bootstrap mode: one statement per line, each ending in ';'.

-- Anonymous accounts would shadow the named ones below for matching hosts.
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;

-- The rig's own superuser (orchestration, assertions). Not meant for the proxy.
CREATE USER 'rigadmin'@'%' IDENTIFIED BY 'rigadmin';
CREATE USER 'rigadmin'@'localhost' IDENTIFIED BY 'rigadmin';
GRANT ALL PRIVILEGES ON *.* TO 'rigadmin'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'rigadmin'@'localhost' WITH GRANT OPTION;

-- The application account. From MariaDB 10.11 ALL includes READ_ONLY ADMIN, which would let it write
-- on read_only replicas; revoking it makes read_only mean what a proxy's routing relies on.
CREATE USER 'appuser'@'%' IDENTIFIED BY 'apppass';
CREATE USER 'appuser'@'localhost' IDENTIFIED BY 'apppass';
GRANT ALL PRIVILEGES ON *.* TO 'appuser'@'%';
GRANT ALL PRIVILEGES ON *.* TO 'appuser'@'localhost';
REVOKE READ_ONLY ADMIN ON *.* FROM 'appuser'@'%';
REVOKE READ_ONLY ADMIN ON *.* FROM 'appuser'@'localhost';

-- The proxy monitor: read_only, replication lag (SHOW SLAVE STATUS), processlist.
CREATE USER 'monitor'@'%' IDENTIFIED BY 'monitor';
CREATE USER 'monitor'@'localhost' IDENTIFIED BY 'monitor';
GRANT REPLICATION CLIENT, SLAVE MONITOR, PROCESS ON *.* TO 'monitor'@'%';
GRANT REPLICATION CLIENT, SLAVE MONITOR, PROCESS ON *.* TO 'monitor'@'localhost';

-- Replication between rig nodes.
CREATE USER 'repl'@'%' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
