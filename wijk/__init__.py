"""wijk: the information system of Gewoon in de Wijk (Haarlem)."""
