-- Demo schema, created on the primary only (with the binary log on) and replicated to the others.
CREATE DATABASE IF NOT EXISTS testdb;
CREATE TABLE IF NOT EXISTS testdb.insert_test (hostname VARCHAR(64), ts DATETIME(6));
