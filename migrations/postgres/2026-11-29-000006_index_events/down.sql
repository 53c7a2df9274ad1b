DROP TABLE index_events;
