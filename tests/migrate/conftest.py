"""Tests of brief import (brief/migrate/): one module per source, fixtures under fixtures/<source>/."""
