// Integration tests talk to a real broker and database: group joins and process starts take seconds.
jest.setTimeout(120_000);
