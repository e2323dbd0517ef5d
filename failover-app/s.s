01 unknown command ''
