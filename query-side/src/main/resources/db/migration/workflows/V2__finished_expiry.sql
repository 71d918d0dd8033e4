-- What retention removes: finished workflows by the time they ended.
CREATE INDEX workflows_finished_idx ON workflows (updated_at) WHERE status IN ('COMPLETED', 'COMPENSATED');
