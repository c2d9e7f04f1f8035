// Commands that live beside their own features register themselves here.
export {};
import './ntk';
import './layers';
import './train-commands';
import './transfer-command';
