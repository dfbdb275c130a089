"""The Qt user interface: the main window, its pages, item models and widgets. Only this
package (and the bootstrap, smartconf.app) imports PySide6."""
