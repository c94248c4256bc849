-- Issue 18: a registered letter the post returned to the sender, presented and not
-- collected ("pli avisé et non réclamé") or not delivered: the day it came back.
ALTER TABLE formal_notices ADD COLUMN returned_on TEXT;
