-- The collector a case is assigned to (a user's login), whose worklist shows its tasks.
-- NULL: nobody in particular (every collector's worklist shows it).
ALTER TABLE cases ADD COLUMN owner TEXT;
